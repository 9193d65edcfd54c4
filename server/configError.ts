/** A setting the server cannot use: main.ts prints its message as one line and exits 2. */
export class ConfigError extends Error {}
