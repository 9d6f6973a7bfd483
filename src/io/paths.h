/* paths: where costcap finds its shipped files (models/, data/): next to
 * the binary in a checkout, or under PREFIX/share/costcap once installed.
 * COSTCAP_MODELS overrides the models folder. */
#ifndef COSTCAP_IO_PATHS_H
#define COSTCAP_IO_PATHS_H

/* The folder holding the running binary (static string, no trailing
 * slash), or NULL when it cannot be found. */
const char *paths_exe_dir(void);

/* The shipped-files root: the binary's folder when it holds models/, else
 * PREFIX/share/costcap. Static string. */
const char *paths_share_dir(void);

/* The folder holding the built-in example plan (data/). Static string. */
const char *paths_data_dir(void);

/* The folder part of 'path' ("." when it has none); new string. */
char *paths_dirname(const char *path);

/* 'rel' joined to 'dir' unless 'rel' is absolute (or dir is NULL); new string. */
char *paths_join(const char *dir, const char *rel);

#endif
