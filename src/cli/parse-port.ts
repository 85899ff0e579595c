// Port flags, shared by the commands that listen.
import { InvalidArgumentError } from '@commander-js/extra-typings';

/** A decimal port number; 0 lets the system pick a free one. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return port;
}
