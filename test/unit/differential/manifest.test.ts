// Runs in milliseconds: schema parsing of in-memory manifests, no I/O.
import { describe, expect, it } from 'vitest';
import { bigintTextSchema, manifestSchema } from '#domain/differential/index.ts';
import { dailyPartitions, manifest, part, table, view } from './manifest-builders.ts';

describe('manifest schema', () => {
  it('keeps BIGINTs as canonical text and turns safe numbers into text', () => {
    expect(bigintTextSchema.parse('9223372036854775807')).toBe('9223372036854775807');
    expect(bigintTextSchema.parse(42)).toBe('42');
    expect(bigintTextSchema.safeParse('9223372036854775808').success).toBe(false);
    expect(bigintTextSchema.safeParse('007').success).toBe(false);
    expect(bigintTextSchema.safeParse(-1).success).toBe(false);
    expect(bigintTextSchema.safeParse(2 ** 60).success).toBe(false);
  });

  it('parses a manifest and refuses a partition name listed twice or an object named twice', () => {
    const good = manifest([table('fact', dailyPartitions(3))], [view('v')]);
    expect(manifestSchema.parse(JSON.parse(JSON.stringify(good)))).toEqual(good);
    expect(manifestSchema.safeParse(manifest([table('t', [part('p', 1, 2), part('p', 2, 2)])])).success).toBe(
      false,
    );
    expect(manifestSchema.safeParse(manifest([table('v', [])], [view('v')])).success).toBe(false);
  });

  it('refuses an unknown partitioning kind and a non-ISO version time', () => {
    const bad = { ...manifest([table('t', [])]), tables: [{ ...table('t', []), partitioning: 'HASH' }] };
    expect(manifestSchema.safeParse(bad).success).toBe(false);
    const badTime = manifest([
      table('t', [{ ...part('p', 1, 2), visibleVersionTime: '2026-01-01 00:00:00' }]),
    ]);
    expect(manifestSchema.safeParse(badTime).success).toBe(false);
  });
});
