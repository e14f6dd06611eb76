import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Files people attached, as Slack keeps them: each has an id and a `url_private_download` that answers only with the
 * bot token (`Authorization: Bearer`), as files.slack.com does. A file_input's submission carries these objects.
 */

export type SlackFile = {
  id: string;
  name: string;
  title: string;
  filetype: string;
  mimetype: string;
  pretty_type: string;
  size: number;
  mode: 'hosted';
  user: string;
  created: number;
  url_private: string;
  url_private_download: string;
};

const MIME: Record<string, string> = { csv: 'text/csv', txt: 'text/plain' };

export class SlackFiles {
  private readonly files = new Map<string, { file: SlackFile; content: Buffer }>();
  /** How many downloads each file answered (with the right token). */
  readonly downloads = new Map<string, number>();

  constructor(
    private readonly origin: () => string,
    private readonly botToken: string,
    private readonly nowMs: () => number,
  ) {}

  put(name: string, content: string | Buffer, user = 'U0SIMULATE'): SlackFile {
    const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
    const filetype = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? 'text';
    const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const path = `${this.origin()}/files-pri/T0SIMULATE-${id}/${encodeURIComponent(name)}`;
    const file: SlackFile = {
      id,
      name,
      title: name,
      filetype,
      mimetype: MIME[filetype] ?? 'application/octet-stream',
      pretty_type: filetype.toUpperCase(),
      size: body.length,
      mode: 'hosted',
      user,
      created: Math.floor(this.nowMs() / 1000),
      url_private: path,
      url_private_download: `${this.origin()}/files-pri/T0SIMULATE-${id}/download/${encodeURIComponent(name)}`,
    };
    this.files.set(id, { file, content: body });
    return file;
  }

  get(id: string): SlackFile | undefined {
    return this.files.get(id)?.file;
  }

  /** GET /files-pri/T…-F…/[download/]name: the content with the bot token, 404 without it (Slack answers so). */
  serve(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const match = /^\/files-pri\/[A-Z0-9]+-(F[A-Z0-9]+)\/(?:download\/)?[^/]+$/.exec(path);
    if (!match) return false;
    const stored = this.files.get(match[1]!);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!stored || bearer !== this.botToken) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return true;
    }
    this.downloads.set(stored.file.id, (this.downloads.get(stored.file.id) ?? 0) + 1);
    res.writeHead(200, { 'content-type': stored.file.mimetype, 'content-length': String(stored.content.length) });
    res.end(stored.content);
    return true;
  }
}
