// The one error every mailer rejects with: says what failed and what to check, never a password.

export class MailError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailError';
  }
}
