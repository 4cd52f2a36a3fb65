// The omnitwin version written into every summary (a test keeps it equal to package.json's).
export const OMNITWIN_VERSION = "0.1.0";
