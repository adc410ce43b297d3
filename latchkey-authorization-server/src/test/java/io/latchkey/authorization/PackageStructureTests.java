package io.latchkey.authorization;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape that keeps the library easy to change: no cycles between its packages, the
 * domain never speaks HTTP nor knows Redis, and only the Redis package touches Redis.
 */
class PackageStructureTests {

	private static final JavaClasses LIBRARY = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.latchkey.authorization");

	@Test
	void packagesWhenImportedThenFreeOfCycles() {
		slices().matching("io.latchkey.authorization.(*)..").should().beFreeOfCycles().check(LIBRARY);
	}

	@Test
	void domainWhenImportedThenNeitherHttpNorRedis() {
		noClasses().that()
			.resideInAnyPackage("..authorization.token..", "..authorization.directory..", "..authorization.access..",
					"..authorization.owner..", "..authorization.error..", "..authorization.event..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.web..", "org.springframework.http..", "jakarta.servlet..",
					"org.springframework.data.redis..", "io.lettuce..")
			.check(LIBRARY);
	}

	@Test
	void redisWhenUsedThenOnlyByTheRedisPackageAndTheAutoConfiguration() {
		noClasses().that()
			.resideOutsideOfPackages("..authorization.redis..", "..authorization.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.data.redis..", "io.lettuce..")
			.check(LIBRARY);
	}

}
