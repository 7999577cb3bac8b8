// Types of build.mjs, for the tests that import it.
import type { BuildOptions } from 'esbuild';

export declare const scriptBuild: BuildOptions;
export declare const packageBuild: BuildOptions;
export declare function bundleScript(): Promise<string>;
