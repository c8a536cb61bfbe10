export declare const root: string;
export declare const libDir: string;
export declare const distDir: string;
export declare const stampFile: string;
export declare function sourceStamp(): { files: number; newest: number };
export declare function compiledEntry(): string | undefined;
