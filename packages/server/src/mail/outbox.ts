// Keeps each message as one RFC 5322 .eml file in a folder, for machines without a mail server (DATA_DIR/outbox).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { checkMail, checkSender } from './check-mail.js';
import { MailError } from './mail-error.js';
import type { Mailbox } from './mailbox.js';
import type { Mail, Mailer } from './mailer.js';

export interface OutboxOptions {
  /** Folder the .eml files go to; created when missing. */
  dir: string;
  from: Mailbox;
}

export class OutboxMailer implements Mailer {
  readonly kind = 'outbox' as const;
  readonly dir: string;
  private readonly from: Mailbox;
  private lastTime = 0;

  constructor(options: OutboxOptions) {
    this.dir = options.dir;
    this.from = checkSender(options.from);
  }

  /** Writes `<id>.eml`; ids sort in sending order and hold only [0-9A-Za-z.-]. */
  async send(mail: Mail): Promise<{ id: string }> {
    const checked = checkMail(mail);
    // Strictly increasing milliseconds keep the file names in sending order within this process.
    const time = Math.max(Date.now(), this.lastTime + 1);
    this.lastTime = time;
    const id = `${new Date(time).toISOString().replace(/:/g, '-')}-${randomBytes(4).toString('hex')}`;
    const message = await new MailComposer({
      // A checked mail holds reply-to and html only when given.
      from: this.from,
      ...checked,
      date: new Date(time),
      messageId: `<${randomUUID()}@${this.from.address.split('@')[1]}>`,
      // RFC 5322 line ends in the body too, as an SMTP server would store it.
      newline: 'windows',
    })
      .compile()
      .build();
    await this.writeAtomically(`${id}.eml`, message);
    return { id };
  }

  async close(): Promise<void> {}

  // Written under a dot-name, flushed, then renamed: a reader of the folder never sees half a message.
  private async writeAtomically(name: string, content: Buffer): Promise<void> {
    const file = path.join(this.dir, name);
    const temp = path.join(this.dir, `.${name}.tmp`);
    try {
      await mkdir(this.dir, { recursive: true });
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (err) {
      await rm(temp, { force: true });
      throw new MailError(`Outbox: could not write ${file}: ${(err as Error).message}`, { cause: err });
    }
    await syncFolder(this.dir);
  }
}

/** Makes the rename itself survive a crash; some systems (Windows) cannot open a folder, and lose nothing but that. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Not supported for folders here; the file itself is already flushed.
  } finally {
    await handle.close();
  }
}
