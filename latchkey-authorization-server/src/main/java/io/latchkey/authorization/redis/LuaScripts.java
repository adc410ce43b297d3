package io.latchkey.authorization.redis;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts, kept as {@code .lua} resources beside this class; each declares every
 * key it touches in KEYS.
 */
final class LuaScripts {

	private LuaScripts() {
	}

	static <T> RedisScript<T> load(String name, Class<T> resultType) {
		return RedisScript.of(new ClassPathResource(name + ".lua", LuaScripts.class), resultType);
	}

}
