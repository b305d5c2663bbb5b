/** Floor for the self-hosted row: tsx starting and running a file that does nothing. */
export {};
