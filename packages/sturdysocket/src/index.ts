// Public surface of sturdysocket: filled in by its issue.
export {};
