package io.latchkey.authorization.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.latchkey.authorization.event.AuditLog;
import io.latchkey.authorization.throttle.LoginThrottle;
import io.latchkey.authorization.throttle.ThrottledException;
import io.latchkey.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * The password provider alone: throttle first, then the password, then count and audit
 * failures.
 */
class PasswordAuthenticationProviderTests {

	private final UserDetailsService users = mock(UserDetailsService.class);

	private final PasswordEncoder encoder = mock(PasswordEncoder.class);

	private final LoginThrottle throttle = mock(LoginThrottle.class);

	private final AuditLog audit = mock(AuditLog.class);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

	private final PasswordAuthenticationProvider provider = new PasswordAuthenticationProvider(this.users, this.encoder,
			this.throttle, this.audit, this.clock);

	@Test
	void constructorWhenThrottleNullThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> new PasswordAuthenticationProvider(this.users, this.encoder, null, this.audit, this.clock))
			.withMessage("throttle cannot be null");
	}

	@Test
	void authenticateWhenThrottledThenRefusedWithoutLoadingTheUserOrCheckingThePassword() {
		willThrow(new ThrottledException(Duration.ofSeconds(30))).given(this.throttle).check(any(), any(), any());
		assertThatExceptionOfType(ThrottledException.class).isThrownBy(
				() -> this.provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("alice", "pw")));
		verifyNoInteractions(this.users, this.encoder);
		verify(this.throttle, never()).failed(any(), any(), any());
		verify(this.audit).attempt("signin.throttled", "username", "alice", null);
	}

	@Test
	void authenticateWhenWrongPasswordThenFailureCountedAndAuditedWithoutThePassword() {
		given(this.users.loadUserByUsername("alice"))
			.willReturn(User.withUsername("alice").password("{bcrypt}hash").authorities(List.of()).build());
		given(this.encoder.matches(anyString(), anyString())).willReturn(false);
		assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> this.provider
			.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("alice", "the-guess")));
		verify(this.throttle).failed(any(), any(), any());
		verify(this.audit).attempt("signin.failed", "username", "alice", null);
	}

	@Test
	void auditableWhenAPasswordOrTokenTypedAsTheUsernameThenNeverWrittenDown() {
		given(this.users.loadUserByUsername("alice"))
			.willReturn(User.withUsername("alice").password("{bcrypt}hash").authorities(List.of()).build());
		given(this.users.loadUserByUsername("Winter2026")).willThrow(new UsernameNotFoundException("none"));
		assertThat(this.provider.auditable("alice")).isEqualTo("alice");
		assertThat(this.provider.auditable("Winter2026")).as("a password typed as the username")
			.isEqualTo("(unknown user)");
		assertThat(this.provider.auditable("lkp_3kd93kd93kd93kd93kd93kd93kd9abcdef")).isEqualTo("(unknown user)");
		assertThat(this.provider.auditable("s3cret pass!")).isEqualTo("(unknown user)");
	}

	@Test
	void authenticateWhenRightPasswordThenPasswordFactorStampedWithTheClock() {
		given(this.users.loadUserByUsername("alice"))
			.willReturn(User.withUsername("alice").password("{bcrypt}hash").authorities("projects.read").build());
		given(this.encoder.matches("right", "{bcrypt}hash")).willReturn(true);
		Authentication result = this.provider
			.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("alice", "right"));
		assertThat(result.getAuthorities()).filteredOn(FactorGrantedAuthority.class::isInstance)
			.singleElement()
			.satisfies((factor) -> assertThat(((FactorGrantedAuthority) factor).getIssuedAt())
				.isEqualTo(this.clock.instant()));
		assertThat(result.getAuthorities()).extracting("authority").contains("projects.read");
		verify(this.throttle, never()).failed(any(), any(), any());
	}

}
