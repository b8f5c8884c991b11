// Public surface of @sturdysocket/auth: filled in by its issue.
export {};
