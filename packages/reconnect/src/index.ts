// Public surface of @sturdysocket/reconnect: filled in by its issue.
export {};
