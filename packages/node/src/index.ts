// Public surface of @sturdysocket/node: filled in by its issue.
export {};
