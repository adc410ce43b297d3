// A tiny resource service in Node that trusts Latchkey's personal access tokens and forgets
// them as soon as the auth server says so, by OpenID Shared Signals push delivery (RFC 8935).
//
// GET /whoami checks the bearer token by RFC 7662 introspection and caches the active answer
// (for CACHE_MAX_AGE_SECONDS, never past the token's exp), keyed by the token's SHA-256 hex:
// the digest by which the auth server's Security Event Tokens name a token. At start it makes
// (or takes back) its stream at the auth server; each SET pushed to POST /ssf/events is
// verified with jose and drops what it names. Nothing here logs a token or a secret.
//
// Environment: LATCHKEY_URL (http://localhost:9000), RECEIVER_CLIENT_ID, RECEIVER_CLIENT_SECRET,
// PORT (8090), RECEIVER_PUSH_URL (http://localhost:$PORT/ssf/events: where the auth server reaches
// this service), RECEIVER_PUSH_SECRET (random unless given), CACHE_MAX_AGE_SECONDS (300),
// SET_MAX_AGE_SECONDS (300), STATUS_CHECK_SECONDS (5: how often it makes sure its stream still
// delivers).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

const PUSH = 'urn:ietf:rfc:8935';
const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
const SSF = 'https://schemas.openid.net/secevent/ssf/event-type/';
const CREDENTIAL_CHANGE = CAEP + 'credential-change';
const SESSION_REVOKED = CAEP + 'session-revoked';
const TOKEN_CLAIMS_CHANGE = CAEP + 'token-claims-change';
const VERIFICATION = SSF + 'verification';

const env = process.env;
const config = {
	authServer: (env.LATCHKEY_URL || 'http://localhost:9000').replace(/\/$/, ''),
	clientId: required('RECEIVER_CLIENT_ID'),
	clientSecret: required('RECEIVER_CLIENT_SECRET'),
	port: Number(env.PORT || 8090),
	pushSecret: env.RECEIVER_PUSH_SECRET || randomBytes(32).toString('hex'),
	cacheMaxAgeMs: 1000 * Number(env.CACHE_MAX_AGE_SECONDS || 300),
	setMaxAge: `${Number(env.SET_MAX_AGE_SECONDS || 300)}s`,
	statusCheckSeconds: Number(env.STATUS_CHECK_SECONDS || 5),
};
config.pushUrl = env.RECEIVER_PUSH_URL || `http://localhost:${config.port}/ssf/events`;
const clientAuthorization = 'Basic ' + Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`).toString('base64');

function required(name) {
	if (!env[name]) {
		console.error(`receiver: set ${name}`);
		process.exit(2);
	}
	return env[name];
}

// The introspection cache: token digest -> { username, scope, until }. Every drop moves the
// epoch on, so that an introspection that was under way when an event came puts nothing back.
const cache = new Map();
let epoch = 0;
let introspections = 0;
let transmitter = null; // { issuer, jwks } once the stream is ours

function digest(token) {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

function forget(predicate, why) {
	epoch++;
	let dropped = 0;
	for (const [key, entry] of cache) {
		if (predicate(key, entry)) {
			cache.delete(key);
			dropped++;
		}
	}
	console.log(`receiver: ${why}: dropped ${dropped} cached answer(s)`);
}

const forgetEverything = (why) => forget(() => true, why);

// What a verified SET makes stale: the rule of latchkey-core's SecurityEventCodec.
function apply(claims) {
	const events = claims.events && typeof claims.events === 'object' ? Object.entries(claims.events) : [];
	if (events.length !== 1) {
		return forgetEverything('a SET without exactly one event');
	}
	const [type, members] = events[0];
	if (type === VERIFICATION) {
		return console.log('receiver: verification event received');
	}
	const subject = claims.sub_id || (members && members.subject) || {};
	if (type === CREDENTIAL_CHANGE && subject.format === 'opaque' && typeof subject.id === 'string') {
		return forget((key) => key === subject.id, 'a token changed');
	}
	if ([CREDENTIAL_CHANGE, SESSION_REVOKED, TOKEN_CLAIMS_CHANGE].includes(type) && subject.format === 'iss_sub'
			&& typeof subject.sub === 'string') {
		const username = subject.sub.toLowerCase();
		return forget((key, entry) => entry.username === username, 'a user changed');
	}
	forgetEverything(`event ${type}`); // stream-updated (events were lost) or one this receiver cannot read
}

async function introspect(token) {
	introspections++;
	const response = await fetch(`${config.authServer}/oauth2/introspect`, {
		method: 'POST',
		headers: { Authorization: clientAuthorization, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ token }),
		signal: AbortSignal.timeout(5000),
	});
	if (response.status !== 200) {
		throw new Error(`introspection answered ${response.status}`);
	}
	return response.json();
}

async function whoami(request, response) {
	const match = /^Bearer ([^\s]+)$/i.exec(request.headers.authorization || '');
	if (!match) {
		return send(response, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer' });
	}
	const key = digest(match[1]);
	let entry = cache.get(key);
	if (!entry || entry.until <= Date.now()) {
		cache.delete(key);
		const started = epoch;
		let answer;
		try {
			answer = await introspect(match[1]);
		}
		catch (error) {
			// fail closed: no answer from the auth server is no access
			console.error(`receiver: introspection failed: ${error.message}`);
			return send(response, 503, { error: 'temporarily_unavailable' });
		}
		if (answer.active !== true) {
			return send(response, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
		}
		const username = String(answer.username || answer.sub || '').toLowerCase();
		const exp = typeof answer.exp === 'number' ? answer.exp * 1000 : Infinity;
		entry = { username, scope: answer.scope || '', until: Math.min(Date.now() + config.cacheMaxAgeMs, exp) };
		if (started === epoch) {
			cache.set(key, entry);
		}
	}
	send(response, 200, { username: entry.username, scope: entry.scope });
}

// RFC 8935: 202 for a SET accepted, 400 with { err, description } for one refused. A refused
// SET may have been one we needed, so it empties the cache.
async function receive(request, response) {
	if (!sameSecret(request.headers.authorization || '', `Bearer ${config.pushSecret}`)) {
		return send(response, 401, { err: 'authentication_failed', description: 'wrong authorization' }, { 'WWW-Authenticate': 'Bearer' });
	}
	const body = await read(request);
	if (!transmitter) {
		return send(response, 503, { err: 'invalid_request', description: 'not ready' });
	}
	if (!/^application\/secevent\+jwt\b/i.test(request.headers['content-type'] || '')) {
		forgetEverything('a SET refused (invalid_request)');
		return send(response, 400, { err: 'invalid_request', description: 'Content-Type must be application/secevent+jwt' });
	}
	let claims;
	try {
		({ payload: claims } = await jwtVerify(body, transmitter.jwks, {
			algorithms: ['RS256'],
			typ: 'secevent+jwt',
			issuer: transmitter.issuer,
			audience: config.clientId,
			maxTokenAge: config.setMaxAge,
			requiredClaims: ['jti', 'iat', 'events'],
		}));
	}
	catch (error) {
		const err = refusal(error);
		forgetEverything(`a SET refused (${err})`);
		return send(response, 400, { err, description: error.code || 'invalid SET' });
	}
	apply(claims);
	send(response, 202);
}

function refusal(error) {
	if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss') return 'invalid_issuer';
	if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') return 'invalid_audience';
	if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return 'invalid_key';
	return 'invalid_request';
}

function sameSecret(given, expected) {
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

function read(request) {
	return new Promise((resolve, reject) => {
		let body = '';
		request.setEncoding('utf8');
		request.on('data', (chunk) => {
			body += chunk;
			if (body.length > 65536) request.destroy(new Error('body too large'));
		});
		request.on('end', () => resolve(body));
		request.on('error', reject);
	});
}

function send(response, status, body, headers = {}) {
	response.writeHead(status, body ? { 'Content-Type': 'application/json', ...headers } : headers);
	response.end(body ? JSON.stringify(body) : undefined);
}

const server = createServer((request, response) => {
	const path = new URL(request.url, 'http://receiver').pathname;
	const route = request.method === 'GET' && path === '/whoami' ? whoami
		: request.method === 'POST' && path === '/ssf/events' ? receive
		: request.method === 'GET' && path === '/health' ? health
		: null;
	if (!route) {
		return send(response, 404, { error: 'not_found' });
	}
	route(request, response).catch((error) => {
		console.error(`receiver: ${request.method} ${path} failed: ${error.message}`);
		if (!response.headersSent) send(response, 500, { error: 'server_error' });
	});
});

async function health(request, response) {
	send(response, transmitter ? 200 : 503, { status: transmitter ? 'UP' : 'STARTING', cached: cache.size, introspections });
}

// At start: a client_credentials token with the scope ssf.stream, the transmitter's
// configuration, then our stream, made or turned to push to us with this run's secret.
async function call(url, options = {}) {
	const response = await fetch(url, { ...options, signal: AbortSignal.timeout(10000) });
	const text = await response.text();
	if (!response.ok) {
		throw new Error(`${options.method || 'GET'} ${url} answered ${response.status}: ${text}`);
	}
	return text ? JSON.parse(text) : null;
}

async function accessToken() {
	const { access_token: token, expires_in: expiresIn } = await call(`${config.authServer}/oauth2/token`, {
		method: 'POST',
		headers: { Authorization: clientAuthorization, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'ssf.stream' }),
	});
	// renewed a minute before it expires (or at half its life, if shorter)
	const life = 1000 * Number(expiresIn || 300);
	return { token, renewAt: Date.now() + life - Math.min(60000, life / 2) };
}

async function connect() {
	session = await accessToken();
	const token = session.token;
	const ssf = await call(`${config.authServer}/.well-known/ssf-configuration`);
	if (!(ssf.delivery_methods_supported || []).includes(PUSH)) {
		throw new Error('the transmitter does not push');
	}
	const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
	const stream = {
		delivery: { method: PUSH, endpoint_url: config.pushUrl, authorization_header: `Bearer ${config.pushSecret}` },
		events_requested: [CREDENTIAL_CHANGE, SESSION_REVOKED, TOKEN_CLAIMS_CHANGE],
		description: 'Node SSF receiver example',
	};
	const [existing] = await call(ssf.configuration_endpoint, { headers });
	const mine = existing
		? await call(ssf.configuration_endpoint, { method: 'PUT', headers, body: JSON.stringify({ stream_id: existing.stream_id, ...stream }) })
		: await call(ssf.configuration_endpoint, { method: 'POST', headers, body: JSON.stringify(stream) });
	// A stream left paused or disabled (by an earlier run, or by hand) would deliver nothing: turn
	// it on. Nothing was cached before this point, so there is nothing to forget.
	const { status } = await call(`${ssf.status_endpoint}?stream_id=${encodeURIComponent(mine.stream_id)}`, { headers });
	if (status !== 'enabled') {
		await call(ssf.status_endpoint, { method: 'POST', headers, body: JSON.stringify({ stream_id: mine.stream_id, status: 'enabled' }) });
		console.log(`receiver: stream ${mine.stream_id} was ${status}; enabled it`);
	}
	transmitter = { issuer: ssf.issuer, jwks: createRemoteJWKSet(new URL(ssf.jwks_uri)) };
	session.statusUrl = `${ssf.status_endpoint}?stream_id=${encodeURIComponent(mine.stream_id)}`;
	console.log(`receiver: ready on port ${config.port}; stream ${mine.stream_id} pushes to ${config.pushUrl}`);
}

// Every STATUS_CHECK_SECONDS: a stream deleted, paused or disabled meanwhile delivers nothing,
// so whatever was cached may have been revoked since: forget it all and set the stream up again.
let session = null; // { token, renewAt, statusUrl }
let checking = false;
async function checkStream() {
	if (!session || checking) return;
	checking = true;
	try {
		if (Date.now() >= session.renewAt) {
			Object.assign(session, await accessToken());
		}
		const { status } = await call(session.statusUrl, { headers: { Authorization: `Bearer ${session.token}` } });
		if (status !== 'enabled') throw new Error(`the stream is ${status}`);
	} catch (error) {
		forgetEverything(`stream check failed: ${error.message.split(':')[0]}`);
		await connect().catch((again) => console.error(`receiver: cannot set up the stream again: ${again.message}`));
	} finally {
		checking = false;
	}
}

server.listen(config.port, () => {
	connect().catch((error) => {
		const cause = error.cause && error.cause.code ? ` (${error.cause.code})` : '';
		console.error(`receiver: cannot set up the stream at ${config.authServer}: ${error.message}${cause}`);
		process.exit(1);
	});
	setInterval(checkStream, 1000 * config.statusCheckSeconds).unref();
});

for (const signal of ['SIGTERM', 'SIGINT']) {
	process.on(signal, () => process.exit(0));
}
