import os from 'node:os';

/** Where and when the numbers were measured. */
export interface MachineInfo {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly cpuSpeedMHz: number;
  readonly totalMemoryBytes: number;
  /** 1-, 5- and 15-minute load averages when the run started: other work on the machine skews wall times. */
  readonly loadAverageAtStart: readonly number[];
}

/** Describes this machine now. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    arch: process.arch,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    cpuSpeedMHz: cpus[0]?.speed ?? 0,
    totalMemoryBytes: os.totalmem(),
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
