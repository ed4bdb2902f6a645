/*
 * version.h - which vmlab this is.
 *
 * The one place the version is written: the Makefile reads VMLAB_VERSION
 * from here for the shared library's name (libvmlab.so.MAJOR.MINOR.PATCH,
 * soname libvmlab.so.MAJOR), vmlab.pc and the manual pages, and
 * `vmlab --version` prints it.  The major number changes when the library's
 * interface changes incompatibly.
 */
#ifndef VMLAB_VERSION_H
#define VMLAB_VERSION_H

#define VMLAB_VERSION "0.1.0"
#define VMLAB_VERSION_MAJOR 0
#define VMLAB_VERSION_MINOR 1
#define VMLAB_VERSION_PATCH 0

#endif /* VMLAB_VERSION_H */
