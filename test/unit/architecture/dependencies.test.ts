// The arrows ARCHITECTURE.md allows between the rooms, checked over the whole import graph (TypeScript's
// pre-processor, no type checking): about 3 seconds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ImportEdge, importCycles, importGraph, sourceFiles } from '#test/support/import-graph.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const edges = importGraph(ROOT);
const fileEdges = edges.filter((edge) => edge.kind === 'file');

/** The room a repository file lives in: `domain`, `runtime`, `functions/<Name>`, `local`, `cdk`, … */
function roomOf(path: string): string {
  const [top, second, third] = path.split('/');
  if (top !== 'lambdas') return top as string;
  return second === 'functions' ? `functions/${third}` : (second as string);
}

const describeEdge = (edge: ImportEdge) => `${edge.from} → ${edge.specifier}`;

/** The edges from files of `from` rooms that reach a file outside the `allowed` rooms. */
function edgesLeaving(from: (room: string) => boolean, allowed: (target: string, source: string) => boolean) {
  return fileEdges
    .filter((edge) => from(roomOf(edge.from)) && !allowed(roomOf(edge.to), roomOf(edge.from)))
    .map(describeEdge);
}

describe('the import graph', () => {
  it('reads every room (the check would pass vacuously on an empty graph)', () => {
    const rooms = new Set(fileEdges.map((edge) => roomOf(edge.from)));
    for (const room of ['domain', 'runtime', 'functions/SubmitBackup', 'local', 'cdk', 'test', 'bench']) {
      expect(rooms, room).toContain(room);
    }
  });

  it('has no import cycle, type-only imports included', () => {
    expect(importCycles(edges)).toEqual([]);
  });

  it('never climbs two folders: the subpath imports (#domain/…) name the room instead', () => {
    expect(fileEdges.filter((edge) => edge.specifier.startsWith('../../')).map(describeEdge)).toEqual([]);
  });

  it('keeps the deployed code (lambdas/) from knowing local/, cdk/, bench/ or test/', () => {
    const hostRooms = new Set(['local', 'cdk', 'bench', 'test']);
    const leaving = fileEdges.filter(
      (edge) => edge.from.startsWith('lambdas/') && hostRooms.has(roomOf(edge.to)),
    );
    expect(leaving.map(describeEdge)).toEqual([]);
  });

  it('lets a function import its own folder, the domain and the runtime, never another function', () => {
    expect(
      edgesLeaving(
        (room) => room.startsWith('functions/'),
        (target, source) => target === source || target === 'domain' || target === 'runtime',
      ),
    ).toEqual([]);
  });

  it('keeps the domain pure: it imports the domain only, and no SDK client', () => {
    expect(
      edgesLeaving(
        (room) => room === 'domain',
        (t) => t === 'domain',
      ),
    ).toEqual([]);
    const clients = edges.filter(
      (edge) =>
        edge.kind === 'package' &&
        edge.from.startsWith('lambdas/domain/') &&
        !edge.typeOnly &&
        /^@aws-lambda-powertools|^@middy/.test(edge.to),
    );
    expect(clients.map(describeEdge)).toEqual([]);
  });

  it('reads the environment only in the runtime: the domain and the functions get what they need injected', () => {
    const readers = sourceFiles(ROOT).filter(
      (file) =>
        (file.startsWith('lambdas/domain/') || file.startsWith('lambdas/functions/')) &&
        readFileSync(join(ROOT, file), 'utf8').includes('process.env'),
    );
    expect(readers).toEqual([]);
  });

  it('lets the runtime build on the domain only', () => {
    expect(
      edgesLeaving(
        (room) => room === 'runtime',
        (t) => t === 'domain' || t === 'runtime',
      ),
    ).toEqual([]);
  });

  it('keeps cdk/ from local/ (synth reads its config through the domain)', () => {
    expect(
      edgesLeaving(
        (room) => room === 'cdk',
        (t) => t !== 'local',
      ),
    ).toEqual([]);
  });
});
