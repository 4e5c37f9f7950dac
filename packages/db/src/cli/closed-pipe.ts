/**
 * `jam-db seed | head` closes stdout while jam-db still writes. Node reports that
 * as an 'error' event on the stream, and an unheard one ends the process with a
 * stack trace. The reader has gone, so the rest of the output has no one to
 * read it: drop it, and let the command finish (and close its database) as usual.
 */
export function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}
