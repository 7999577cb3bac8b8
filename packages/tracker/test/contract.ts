// The server's wire contract (packages/server/src/ingest/payload.ts): every payload the tracker sends must pass it untouched.
import { describeIssues, trackPayloadSchema } from '../../server/src/ingest/payload.js';

/** Throws unless the server would accept the payload as sent, without dropping any field. */
export function checkContract(payload: Record<string, unknown>): true {
  const parsed = trackPayloadSchema.safeParse(payload);
  if (!parsed.success) throw new Error(`server would refuse ${JSON.stringify(payload)}: ${describeIssues(parsed.error).join('; ')}`);
  const dropped = Object.keys(payload).filter((key) => !(key in parsed.data));
  if (dropped.length) throw new Error(`server would drop ${dropped.join(', ')} from ${JSON.stringify(payload)}`);
  return true;
}
