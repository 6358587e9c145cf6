// The peak resident memory of this process, in MB (1 MiB units, as ru_maxrss' KiB ÷ 1024).
//
// Linux's ru_maxrss (process.resourceUsage().maxRSS) is not this process's own peak when a
// large process spawned it: exec records the parent's high-water mark as the child's start
// (a bench process of 357 MB made every child report 357 MB, whatever it used). VmHWM in
// /proc/self/status is the high-water mark of this process's own memory since its exec.
import { readFileSync } from 'node:fs';

export function peakRssMB() {
  try {
    const hwm = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux: ru_maxrss is the best there is
  }
  return process.resourceUsage().maxRSS / 1024;
}
