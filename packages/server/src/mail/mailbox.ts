// One e-mail address with an optional display name: parsed strictly from what a user or MAIL_FROM gives, formatted back safely.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

export interface Mailbox {
  /** Display name, possibly empty; transports encode it. */
  name: string;
  /** `local@domain`, the domain in ASCII (IDN domains are converted to punycode). */
  address: string;
}

// Any control character (CR, LF, NUL, TAB, ...) could end a header line or confuse a parser.
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
// RFC 5322 dot-atom of atext: ASCII only, no leading, trailing or double dot.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
// A host name of letters, digits and inner hyphens, 1 to 63 characters per label.
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const NAME_AND_ADDRESS = /^(.*?)\s*<([^<>]*)>$/s;
const QUOTED_NAME = /^"((?:[^"\\]|\\.)*)"$/s;
// Outside quotes these would make a group, a route or a second address.
const UNQUOTED_NAME_SPECIALS = /[<>"\\@:;[\]]/;

/** Parses exactly one mailbox, `a@b.example` or `Name <a@b.example>`; null for anything else (lists, groups, line breaks). */
export function parseMailbox(value: string): Mailbox | null {
  if (typeof value !== 'string' || CONTROL_CHARACTERS.test(value)) return null;
  const trimmed = value.trim();
  const bracketed = NAME_AND_ADDRESS.exec(trimmed);
  const address = parseAddress(bracketed ? bracketed[2]!.trim() : trimmed);
  if (!address) return null;
  const rawName = bracketed ? bracketed[1]!.trim() : '';
  const quoted = QUOTED_NAME.exec(rawName);
  if (quoted) return { name: quoted[1]!.replace(/\\(.)/gs, '$1'), address };
  if (UNQUOTED_NAME_SPECIALS.test(rawName)) return null;
  return { name: rawName, address };
}

/** `local@domain` with the domain converted to ASCII; null unless it is one deliverable address within RFC 5321's limits. */
function parseAddress(value: string): string | null {
  const at = value.lastIndexOf('@');
  if (at < 1) return null;
  const local = value.slice(0, at);
  const domain = domainToASCII(value.slice(at + 1));
  if (local.length > 64 || !LOCAL_PART.test(local)) return null;
  if (!domain || domain.length > 253 || isIP(domain) !== 0 || !domain.split('.').every((l) => DOMAIN_LABEL.test(l))) {
    return null;
  }
  const address = `${local}@${domain}`;
  return address.length <= 254 ? address : null;
}

/** `Name <a@b.example>` with the name quoted when it holds characters with a meaning in an address field. */
export function formatMailbox({ name, address }: Mailbox): string {
  if (!name) return address;
  const plainName = /^[\p{L}\p{N} !#$%&'*+\-/=?^_`{|}~.]*$/u.test(name);
  return `${plainName ? name : `"${name.replace(/[\\"]/g, '\\$&')}"`} <${address}>`;
}
