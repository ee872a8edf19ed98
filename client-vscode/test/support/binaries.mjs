// What a compiled Python extension module was built for, read from its own header (ELF, Mach-O,
// PE), so a test can tell that a .vsix carries binaries for its target platform and no other.
import * as fs from "node:fs";

/** The operating system and CPUs each vsce target runs, as the file headers name them. */
export const TARGET_BINARIES = {
  "linux-x64": { format: "elf", cpus: ["x86_64"] },
  "linux-arm64": { format: "elf", cpus: ["arm64"] },
  "darwin-x64": { format: "mach-o", cpus: ["x86_64"] },
  "darwin-arm64": { format: "mach-o", cpus: ["arm64"] },
  "win32-x64": { format: "pe", cpus: ["x86_64"] },
};

const ELF_MACHINES = { 0x3e: "x86_64", 0xb7: "arm64" };
const MACHO_CPUS = { 0x01000007: "x86_64", 0x0100000c: "arm64" };
const PE_MACHINES = { 0x8664: "x86_64", 0xaa64: "arm64" };

/** `{format, cpus}` of a compiled module (a fat Mach-O names every CPU it holds), or undefined. */
export function binaryKind(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 64) {
    return undefined;
  }
  if (bytes.readUInt32BE(0) === 0x7f454c46) {
    const little = bytes[5] === 1;
    const machine = little ? bytes.readUInt16LE(18) : bytes.readUInt16BE(18);
    return { format: "elf", cpus: [ELF_MACHINES[machine] ?? `elf-${machine}`] };
  }
  if (bytes.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = bytes.readUInt32LE(4);
    return { format: "mach-o", cpus: [MACHO_CPUS[cpu] ?? `mach-o-${cpu}`] };
  }
  if (bytes.readUInt32BE(0) === 0xcafebabe) {
    const count = bytes.readUInt32BE(4);
    const cpus = [];
    for (let i = 0; i < count; i++) {
      const cpu = bytes.readUInt32BE(8 + i * 20);
      cpus.push(MACHO_CPUS[cpu] ?? `mach-o-${cpu}`);
    }
    return { format: "mach-o", cpus };
  }
  if (bytes.readUInt16LE(0) === 0x5a4d) {
    const pe = bytes.readUInt32LE(0x3c);
    if (bytes.readUInt32BE(pe) === 0x50450000) {
      const machine = bytes.readUInt16LE(pe + 4);
      return { format: "pe", cpus: [PE_MACHINES[machine] ?? `pe-${machine}`] };
    }
  }
  return undefined;
}

/** True when a module of `kind` runs on `target` (a universal2 Mach-O runs on both Macs). */
export function runsOn(kind, target) {
  const wanted = TARGET_BINARIES[target];
  return kind !== undefined && kind.format === wanted.format && wanted.cpus.every((cpu) => kind.cpus.includes(cpu));
}
