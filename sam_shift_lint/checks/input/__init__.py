"""Input errors (E9000): a file the front doors could not read, parse or process is reported as a finding, in
every output format, instead of only as a line on stderr."""
