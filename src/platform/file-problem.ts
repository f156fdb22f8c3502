const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EISDIR: "it is a folder, not a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOTDIR: "a part of the path is not a folder",
  ELOOP: "too many symbolic links",
  // The disk, not the path: said as a write to standard output says it (io.ts), with the code.
  ENOSPC: "no space left on the device (ENOSPC)",
  EDQUOT: "disk quota exceeded (EDQUOT)",
  EFBIG: "the file is at its size limit (EFBIG)",
  EROFS: "the file system is read-only (EROFS)",
  EIO: "input/output error (EIO)",
};

/** Why a file could not be read, in words (`no such file`), not an errno code (`ENOENT`). */
export function fileProblem(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return (code !== undefined ? FILE_PROBLEMS[code] : undefined) ?? code ?? message;
}
