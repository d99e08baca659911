/**
 * Which of `partitions` workers folds a stream in a parallel rebuild (FNV-1a over the name):
 * every event of a stream goes to the same worker, so each document sees its events in order.
 */
export const streamPartition = (stream: string, partitions: number): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < stream.length; i++) hash = Math.imul(hash ^ stream.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % partitions;
};
