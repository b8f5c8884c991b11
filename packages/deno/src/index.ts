// Public surface of @sturdysocket/deno: filled in by its issue.
export {};
