"""Durable delivery: the queue interface, its SQLite store, retry policy, routes, dispatcher."""
