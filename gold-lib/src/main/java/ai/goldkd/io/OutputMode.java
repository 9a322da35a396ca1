package ai.goldkd.io;

/** What a command may do with an output directory that already holds files. */
public enum OutputMode {
    /** The directory must be absent or empty: nothing already there is touched. */
    NEW,
    /** The directory holds an earlier run, which this one continues. */
    RESUME,
    /** The directory holds an earlier run, which is deleted first (asked for explicitly). */
    OVERWRITE
}
