/** The peak resident memory of this process, in MB (see peak-rss.mjs). */
export function peakRssMB(): number;
