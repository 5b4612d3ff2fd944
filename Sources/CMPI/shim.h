// Open MPI's mpi.h for Swift. MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM and the
// other predefined handles are macros over the addresses of globals,
// which Swift cannot import: these static inline getters return them.
#ifndef BLOCKWISE_CMPI_SHIM_H
#define BLOCKWISE_CMPI_SHIM_H

#include <mpi.h>

static inline MPI_Comm bw_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype bw_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype bw_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype bw_mpi_char(void) { return MPI_CHAR; }
static inline MPI_Op bw_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op bw_mpi_max(void) { return MPI_MAX; }
static inline MPI_Errhandler bw_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int bw_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int bw_mpi_success(void) { return MPI_SUCCESS; }
static inline int bw_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }

#endif
