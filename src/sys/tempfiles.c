/* Output files under temporary names: renamed when complete, removed on failure,
   so a failed or killed run never leaves a file that looks finished. The outputs
   a run has renamed into place are removed too if a later step fails: a run
   leaves all its files or none. SIGTERM and SIGINT remove them and say why; a run
   whose parent is gone (SIGKILL to mpirun) writes none. */
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <signal.h>
#include "gepsys.h"

#define GEP_MAX_TEMP_FILES 16
static pid_t parent_pid; /* of the program (mpirun, or the shell) when it started; 0: not checked */

/* A process whose parent is gone (mpirun killed by SIGKILL, which cannot be caught) writes
   nothing: the user has been told the run ended. Checked where an output is started and
   where it is renamed into place; every rank sees its own parent go. */
static int exit_status;

void GepSetExitStatus(int status)
{
  exit_status = status;
}

int GepGetExitStatus(void)
{
  return exit_status;
}

PetscErrorCode GepCheckParentAlive(const char output[])
{
  PetscFunctionBegin;
  PetscCheck(!parent_pid || getppid() == parent_pid, PETSC_COMM_SELF, PETSC_ERR_SIG,
             "output %s: the process that started this run (pid %d) is gone (killed?): nothing is written", output,
             (int)parent_pid);
  PetscFunctionReturn(0);
}
static char *temp_files[GEP_MAX_TEMP_FILES];
static char *done_files[GEP_MAX_TEMP_FILES]; /* renamed into place by this run */

static PetscErrorCode ForgetDone(void)
{
  PetscFunctionBegin;
  for (int i = 0; i < GEP_MAX_TEMP_FILES; i++) PetscCall(PetscFree(done_files[i]));
  PetscFunctionReturn(0);
}

/* a program that never says whether it failed (a test, a library user) keeps its files:
   the list is freed at PetscFinalize */
static PetscErrorCode Remember(char *list[], const char path[])
{
  static PetscBool registered;

  PetscFunctionBegin;
  if (!registered) PetscCall(PetscRegisterFinalize(ForgetDone));
  registered = PETSC_TRUE;
  for (int i = 0; i < GEP_MAX_TEMP_FILES; i++)
    if (!list[i]) {
      PetscCall(PetscStrallocpy(path, &list[i]));
      break;
    }
  PetscFunctionReturn(0);
}

PetscErrorCode GepTempFileRegister(const char tmp[])
{
  PetscFunctionBegin;
  PetscCall(GepCheckParentAlive(tmp));
  for (int i = 0; i < GEP_MAX_TEMP_FILES; i++)
    if (!temp_files[i]) {
      PetscCall(PetscStrallocpy(tmp, &temp_files[i]));
      PetscFunctionReturn(0);
    }
  SETERRQ(PETSC_COMM_SELF, PETSC_ERR_PLIB, "Too many temporary output files");
}

/* a temporary file this run has removed itself (no longer to remove on failure) */
PetscErrorCode GepTempFileForget(const char tmp[])
{
  PetscFunctionBegin;
  for (int i = 0; i < GEP_MAX_TEMP_FILES; i++) {
    PetscBool eq;
    if (!temp_files[i]) continue;
    PetscCall(PetscStrcmp(temp_files[i], tmp, &eq));
    if (eq) PetscCall(PetscFree(temp_files[i]));
  }
  PetscFunctionReturn(0);
}

/* Collective: rank 0 renames once every rank is done writing. */
PetscErrorCode GepTempFileCommit(MPI_Comm comm, const char tmp[], const char final[])
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCall(GepOutputCheckNotInput(comm, final));
  PetscCall(GepCheckParentAlive(final));
  PetscCallMPI(MPI_Barrier(comm));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0)
    PetscCheck(rename(tmp, final) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "output %s: cannot rename %s to it",
               final, tmp);
  PetscCall(Remember(done_files, final));
  for (int i = 0; i < GEP_MAX_TEMP_FILES; i++) {
    PetscBool eq;
    if (!temp_files[i]) continue;
    PetscCall(PetscStrcmp(temp_files[i], tmp, &eq));
    if (eq) PetscCall(PetscFree(temp_files[i]));
  }
  PetscCallMPI(MPI_Barrier(comm));
  PetscFunctionReturn(0);
}

/* a failed run: its temporary files and the outputs it had already renamed into place */
void GepTempFilesRemoveAll(void)
{
  for (int i = 0; i < GEP_MAX_TEMP_FILES; i++) {
    if (temp_files[i]) (void)unlink(temp_files[i]);
    if (done_files[i]) (void)unlink(done_files[i]);
    (void)PetscFree(temp_files[i]);
    (void)PetscFree(done_files[i]);
  }
}

/* a run that succeeded keeps its outputs */
void GepTempFilesKeep(void)
{
  for (int i = 0; i < GEP_MAX_TEMP_FILES; i++) (void)PetscFree(done_files[i]);
}

static int signal_rank;

/* async-signal-safe: unlink and write only */
static void OnSignal(int sig)
{
  static const char msg[] = "gepsim: terminated by a signal (SIGTERM or SIGINT): its output files removed\n";

  for (int i = 0; i < GEP_MAX_TEMP_FILES; i++) {
    if (temp_files[i]) (void)unlink(temp_files[i]);
    if (done_files[i]) (void)unlink(done_files[i]);
  }
  if (signal_rank == 0 && write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) _exit(128 + sig);
  _exit(128 + sig);
}

/* first thing in main: MPI's start-up can take seconds (a singleton starts its daemon), and
   a parent killed meanwhile must not be mistaken for the one that adopted the process */
void GepTempFilesRecordParent(void)
{
  parent_pid = getppid();
}

void GepTempFilesCatchSignals(void)
{
  struct sigaction sa;

  (void)MPI_Comm_rank(MPI_COMM_WORLD, &signal_rank);
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  (void)sigaction(SIGTERM, &sa, NULL);
  (void)sigaction(SIGINT, &sa, NULL);
}

PetscErrorCode GepSiblingPath(const char base[], const char suffix[], char path[], size_t len)
{
  char *dot;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(path, base, len));
  PetscCall(PetscStrrchr(path, '.', &dot));
  if (dot != path && !strcmp(dot, "h5")) dot[-1] = 0;
  PetscCall(PetscStrlcat(path, suffix, len));
  PetscFunctionReturn(0);
}
