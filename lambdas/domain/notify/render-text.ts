/**
 * Renders a Slack message as terminal text, so the local CLI shows exactly what Slack would get
 * when no webhook is configured.
 */
import type { SlackBlock, SlackMessage } from './slack-message.ts';

/** Undoes mrkdwn's markup for a terminal: entities, links, bold, inline code; code blocks are indented. */
export function mrkdwnToPlain(text: string): string {
  return text
    .split('```')
    .map((part, index) => (index % 2 === 1 ? `\n${indent(unescapeEntities(part))}\n` : proseToPlain(part)))
    .join('')
    .replaceAll(/\n{3,}/g, '\n\n')
    .trim();
}

function proseToPlain(text: string): string {
  return unescapeEntities(
    text
      .replaceAll(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
      .replaceAll(/<(https?:[^>]+)>/g, '$1')
      .replaceAll(/`([^`\n]*)`/g, '$1')
      .replaceAll(/\*([^*\n]+)\*/g, '$1'),
  );
}

function unescapeEntities(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** A field `*Label*\nvalue` as `Label: value`. */
function fieldLine(text: string): string {
  const [label = '', ...value] = mrkdwnToPlain(text).split('\n');
  return value.length > 0 ? `${label}: ${value.join(' ').trim()}` : label;
}

function renderBlock(block: SlackBlock): string {
  switch (block.type) {
    case 'header':
      return `${block.text.text}\n${'='.repeat(Math.min(72, [...block.text.text].length))}`;
    case 'section': {
      const parts: string[] = [];
      if (block.text) parts.push(mrkdwnToPlain(block.text.text));
      if (block.fields) parts.push(block.fields.map((field) => fieldLine(field.text)).join('\n'));
      return parts.join('\n');
    }
    case 'context':
      return block.elements.map((element) => mrkdwnToPlain(element.text)).join('  ');
    case 'divider':
      return '-'.repeat(40);
    case 'actions':
      return block.elements.map((button) => `${button.text.text}: ${button.url}`).join('\n');
  }
}

/** The message as plain text, one block per paragraph; the fallback `text` when it has no blocks. */
export function renderMessageAsText(message: SlackMessage): string {
  if (message.blocks.length === 0) return message.text;
  return message.blocks.map(renderBlock).join('\n\n');
}
