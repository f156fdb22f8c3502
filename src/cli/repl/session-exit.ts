/**
 * Ends a command with this exit code and nothing more printed: a session whose lines have
 * already reported their own failures (batch mode exits with the first one's code).
 */
export class SessionExit extends Error {
  constructor(readonly exitCode: number) {
    super(`session ended with exit code ${exitCode}`);
    this.name = "SessionExit";
  }
}
