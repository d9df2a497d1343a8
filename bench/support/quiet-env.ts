/**
 * Imported first by every benchmark entry point: the in-process Lambda handlers log JSON per invocation, and the
 * AWS SDK warns about Node 20 on every client; benchmarks print tables, not thousands of log lines.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
