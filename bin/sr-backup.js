#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx sr-backup` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Set before any Lambda handler is imported: their structured logs go to stderr, so stdout keeps only what the
// command prints (with --json, exactly one JSON document). Warnings and errors by default; --verbose adds info.
process.env.SR_BACKUP_LOG_STREAM = 'stderr';
process.env.POWERTOOLS_LOG_LEVEL ??=
  process.argv.includes('--verbose') || process.argv.includes('-v') ? 'INFO' : 'WARN';
register();
await import('../local/cli/main.ts');
