import { InputError } from '../../errors.js';

/**
 * Reads a file a person attached in a form's file_input: downloaded from its `url_private_download` with the bot
 * token, only from Slack's file host (or the configured local Slack API's origin), within a size limit and a timeout,
 * because the form's submission must be acknowledged within 3 seconds.
 */

/** A file as a file_input's submission carries it (the fields the app uses). */
export type AttachedFile = { id: string; name: string; filetype?: string; url_private?: string; url_private_download?: string };

export type AttachedFileReader = (file: AttachedFile, field: string) => Promise<string>;

export type AttachedFileReaderOptions = {
  botToken: string;
  /** The Slack Web API base in use (SLACK_API_URL); files are then fetched from its origin only. @default Slack's */
  apiUrl?: string;
  /** Bytes at most; a bigger file is refused unread. */
  maxBytes: number;
  /** @default 2000 ms (the ack leaves within 3 s) */
  timeoutMs?: number;
};

const SLACK_FILE_ORIGIN = 'https://files.slack.com';

/** Why an attached file was not read, with the limit it broke; the message names the file. */
export class AttachedFileError extends InputError {
  constructor(
    field: string,
    readonly fileName: string,
    readonly reason: 'too_big' | 'timeout' | 'unreadable' | 'not_an_account',
    /** Bytes for too_big, milliseconds for timeout. */
    readonly limit?: number,
    /** For not_an_account: the first entry that is not an account id. */
    readonly entry?: string,
  ) {
    const rule = {
      too_big: `larger than ${limit} bytes`,
      timeout: `not received from Slack within ${limit} ms`,
      unreadable: 'could not be read from Slack',
      not_an_account: `holds ${JSON.stringify(entry)}, not an account id`,
    }[reason];
    super(field, rule, fileName);
    this.name = 'AttachedFileError';
  }
}

export function attachedFileReader(options: AttachedFileReaderOptions): AttachedFileReader {
  const origin = options.apiUrl ? new URL(options.apiUrl).origin : SLACK_FILE_ORIGIN;
  const timeoutMs = options.timeoutMs ?? 2000;
  const { maxBytes } = options;
  return async (file, field) => {
    const unreadable = () => new AttachedFileError(field, file.name, 'unreadable');
    const tooBig = () => new AttachedFileError(field, file.name, 'too_big', maxBytes);
    const address = file.url_private_download ?? file.url_private;
    // The bot token goes to Slack's own file host only, never to an address a payload names elsewhere.
    if (!address || !URL.canParse(address) || new URL(address).origin !== origin) throw unreadable();
    let response: Response;
    try {
      response = await fetch(address, {
        headers: { authorization: `Bearer ${options.botToken}` },
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const problem = timedOut ? new AttachedFileError(field, file.name, 'timeout', timeoutMs) : unreadable();
      throw Object.assign(problem, { cause: error });
    }
    if (!response.ok || Number(response.headers.get('content-length') ?? 0) > maxBytes) {
      await response.body?.cancel();
      throw response.ok ? tooBig() : unreadable();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += (chunk as Uint8Array).length;
        // Counted as it arrives: a missing or wrong content-length cannot make the app hold more.
        if (size > maxBytes) throw tooBig();
        chunks.push(chunk as Uint8Array);
      }
    } catch (error) {
      if (error instanceof AttachedFileError) throw error;
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw Object.assign(timedOut ? new AttachedFileError(field, file.name, 'timeout', timeoutMs) : unreadable(), { cause: error });
    }
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/^\uFEFF/u, '');
  };
}
