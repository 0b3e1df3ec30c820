// Passwords sparc-mesh generates for what it installs (Grafana's admin): 32 random bytes from
// the operating system's generator, base64url (43 characters, no padding), never logged.
import {randomBytes} from 'node:crypto';

export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}
