package com.example.resourceserver;

import java.util.List;
import java.util.Map;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Orders, guarded by scope: reading needs {@code orders.read}, placing one
 * {@code orders.write}.
 */
@RestController
class OrdersController {

	@GetMapping("/orders")
	@PreAuthorize("hasAuthority('SCOPE_orders.read')")
	List<Map<String, Object>> orders(Authentication caller) {
		return List.of(Map.of("id", 1, "customer", caller.getName()));
	}

	@PostMapping("/orders")
	@PreAuthorize("hasAuthority('SCOPE_orders.write')")
	Map<String, Object> place(Authentication caller) {
		return Map.of("id", 2, "customer", caller.getName());
	}

}
