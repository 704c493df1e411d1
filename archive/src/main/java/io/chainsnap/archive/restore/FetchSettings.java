package io.chainsnap.archive.restore;

import java.time.Duration;

/**
 * The fetch settings a {@link FetchBuilder} collected, as {@link Restorer} and {@link
 * ArchiveDownloader} use them.
 *
 * @param connections parallel ranged requests asked for
 * @param listener progress and warnings
 * @param progressInterval time between two progress reports
 * @param corruptRetries fetches again of a chunk failing its hash check
 */
record FetchSettings(
    int connections, RestoreListener listener, Duration progressInterval, int corruptRetries) {}
