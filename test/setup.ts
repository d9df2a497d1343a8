import '../local/runtime/promise-with-resolvers.ts';
