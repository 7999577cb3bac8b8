// A text to copy (snippet, link, key): shown as code with a copy button; ShownOnce adds the "copy it now" notice.
import { CopyButton } from './CopyButton.js';

export function CopyableCode({ text, testId }: { text: string; testId?: string }) {
  return (
    <div className="snippet">
      <pre>
        <code data-testid={testId}>{text}</code>
      </pre>
      <CopyButton text={text} />
    </div>
  );
}

/** A secret the server shows only once (an API key, a share link). */
export function ShownOnce({ what, name, text, testId }: { what: string; name: string; text: string; testId?: string }) {
  return (
    <div className="notice new-key" role="status">
      <strong>
        Copy the {what} “{name}” now; it will not be shown again.
      </strong>
      <CopyableCode text={text} testId={testId} />
    </div>
  );
}
