/**
 * The small part of Slack's Block Kit our alerts use, Slack's size limits, and the text helpers that keep
 * every message inside them. Messages built here are plain data: the webhook posts them as JSON and the
 * CLI renders them as text (render-text.ts).
 */

/** A plain-text object (headers, buttons). */
export interface PlainTextObject {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

/** A mrkdwn text object (sections, context). */
export interface MrkdwnTextObject {
  type: 'mrkdwn';
  text: string;
}

/** A large bold title. */
export interface HeaderBlock {
  type: 'header';
  text: PlainTextObject;
}

/** A paragraph, optionally with a two-column list of fields. */
export interface SectionBlock {
  type: 'section';
  text?: MrkdwnTextObject;
  fields?: MrkdwnTextObject[];
}

/** Small grey print. */
export interface ContextBlock {
  type: 'context';
  elements: MrkdwnTextObject[];
}

/** A horizontal rule. */
export interface DividerBlock {
  type: 'divider';
}

/** A link button. */
export interface ButtonElement {
  type: 'button';
  text: PlainTextObject;
  url: string;
  action_id: string;
}

/** A row of buttons. */
export interface ActionsBlock {
  type: 'actions';
  elements: ButtonElement[];
}

/** Any block our messages contain. */
export type SlackBlock = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock;

/** A message as the incoming webhook takes it. `text` is the fallback notifications show. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Slack's documented limits that our builders stay within. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  buttonUrl: 3000,
  /** Slack truncates `text` at 40,000 characters; notifications show far less, so keep it short. */
  fallbackText: 3000,
} as const;

/** Escapes the three characters mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A word mrkdwn would format: a `*`, `_` or `~` at its start or end (Slack formats only at word boundaries). */
const FORMATTING_EDGE = /^[*_~]|[*_~]$/;

/**
 * Escapes like {@link escapeMrkdwn}, and shows every word that mrkdwn would turn bold, italic or struck through as
 * inline code, so names and patterns render as written: `*_scratch, tmp_*` stays that, not bold "_scratch, tmp_".
 * mrkdwn has no escape for these characters (Slack's "Formatting text for app surfaces"), so code is the only way.
 * Words with such characters only inside (`sales_eu`) are left as they are: Slack does not format them.
 */
export function escapeMrkdwnLiteral(text: string): string {
  return escapeMrkdwn(text).replaceAll(/\S+/g, (word) => {
    const match = /^([("'[]*)(.*?)([)"'\].,;:!?]*)$/.exec(word);
    const [, before = '', core = word, after = ''] = match ?? [];
    if (core === '' || !FORMATTING_EDGE.test(core)) return word;
    return `${before}\`${core.replaceAll('`', '')}\`${after}`;
  });
}

/**
 * The notification text (`text`) of a message, escaped as the blocks are: Slack reads it as mrkdwn, so a name such
 * as `x<!channel>` would otherwise ping the whole channel. Cut to Slack's limit without splitting an entity.
 */
export function fallbackText(text: string): string {
  const escaped = escapeMrkdwnLiteral(text);
  if (escaped.length <= SLACK_LIMITS.fallbackText) return escaped;
  const cut = escaped.slice(0, SLACK_LIMITS.fallbackText - 1).replace(/&[a-z]{0,3}$/, '');
  return `${cut}…`;
}

/** Cuts `text` to at most `maxLength` characters, marking the cut with `…`. */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return `${text.slice(0, Math.max(0, maxLength - 1))}…`;
}

/** A name shown as inline code (backticks inside would end the code span, so they are dropped). */
export function inlineCode(text: string, maxLength = 200): string {
  const cleaned = truncateText(text.replaceAll('`', '').replaceAll(/\s+/g, ' '), maxLength);
  return `\`${escapeMrkdwn(cleaned === '' ? ' ' : cleaned)}\``;
}

/** Text shown in a fenced code block, at most `maxLength` characters of it. */
export function codeBlock(text: string, maxLength: number): string {
  const cleaned = truncateText(text.trim(), maxLength).replaceAll('```', "'''");
  return `\`\`\`${escapeMrkdwn(cleaned === '' ? '(empty)' : cleaned)}\`\`\``;
}

/** A mrkdwn section, cut to Slack's limit. */
export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateText(text, SLACK_LIMITS.sectionText) } };
}

/** A section of `*label*\nvalue` fields (at most ten, each cut to Slack's limit). */
export function fieldsSection(fields: ReadonlyArray<readonly [label: string, value: string]>): SectionBlock {
  return {
    type: 'section',
    fields: fields.slice(0, SLACK_LIMITS.sectionFields).map(([label, value]) => ({
      type: 'mrkdwn',
      text: truncateText(`*${label}*\n${value}`, SLACK_LIMITS.fieldText),
    })),
  };
}

/** A header, cut to Slack's limit. */
export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncateText(text, SLACK_LIMITS.headerText) } };
}

/** A context line. */
export function context(text: string): ContextBlock {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: truncateText(text, SLACK_LIMITS.sectionText) }],
  };
}

/** A row holding one link button, or nothing when the URL is too long for Slack. */
export function linkButton(label: string, url: string, actionId: string): ActionsBlock | undefined {
  if (url.length > SLACK_LIMITS.buttonUrl) return undefined;
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        text: { type: 'plain_text', text: truncateText(label, SLACK_LIMITS.buttonText) },
        url,
        action_id: actionId,
      },
    ],
  };
}

/**
 * Bullet lines joined until the next one would pass `maxLength`; the rest are counted in a closing
 * "…and N more" line, so a long list never breaks a section's limit.
 */
export function boundedList(lines: readonly string[], maxLength: number = SLACK_LIMITS.sectionText): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const remaining = lines.length - index - 1;
    const tail = remaining > 0 ? `\n…and ${remaining} more` : '';
    const added = (kept.length > 0 ? 1 : 0) + line.length;
    if (length + added + tail.length > maxLength) {
      const more = lines.length - kept.length;
      return `${kept.join('\n')}${kept.length > 0 ? '\n' : ''}…and ${more} more`;
    }
    kept.push(line);
    length += added;
  }
  return kept.join('\n');
}
