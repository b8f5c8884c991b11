// Public surface of @sturdysocket/browser: filled in by its issue.
export {};
