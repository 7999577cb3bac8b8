// Every metric against the oracle (visits through the visit index, part of it stale): see correctness-suite.ts.
process.env.TZ = 'Australia/Lord_Howe';
(globalThis as { eeseeCorrectnessMode?: string }).eeseeCorrectnessMode = 'index';
await import('./correctness-suite.js');
