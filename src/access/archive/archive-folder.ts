/** Where archived access-log segments are written, relative to the data directory (docs/operations.md#access-log-retention). */
export const ACCESS_LOG_ARCHIVE_FOLDER = 'access-log-archive';
