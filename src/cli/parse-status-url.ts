// The other process's status page, linked from this one's: an absolute http(s) URL, nothing else.
import { InvalidArgumentError } from '@commander-js/extra-typings';

export function parseStatusUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be an http(s) URL, like http://localhost:8081/');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError('must be an http(s) URL, like http://localhost:8081/');
  return url.toString();
}
