// Every metric against the oracle (visits grouped from the events): see correctness-suite.ts.
process.env.TZ = 'Australia/Lord_Howe';
(globalThis as { eeseeCorrectnessMode?: string }).eeseeCorrectnessMode = 'events';
await import('./correctness-suite.js');
