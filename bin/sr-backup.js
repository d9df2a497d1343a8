#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx sr-backup` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../local/cli/main.ts');
