/** Exit codes, as documented in the README. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** An error the user caused (bad flag value, unreadable input, invalid model); printed without a stack trace. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = EXIT_USAGE) {
    super(message);
  }
}
