/* A deck's text checked before PETSc reads it, so that each mistake is one line
   naming the file (and the line): a directory, an empty or binary file, YAML
   that does not parse. PETSc's own YAML reader names neither file nor line. */
#include <string.h>
#include <yaml.h>
#include "gepcli.h"

static PetscErrorCode CheckYAML(const char path[], const char text[], size_t n)
{
  yaml_parser_t parser;
  yaml_event_t  event;
  int           done = 0, ok = 1;
  size_t        line = 0;
  char          problem[256] = "";

  PetscFunctionBegin;
  PetscCheck(yaml_parser_initialize(&parser), PETSC_COMM_SELF, PETSC_ERR_LIB, "libyaml: yaml_parser_initialize failed");
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, n);
  while (!done) {
    if (!yaml_parser_parse(&parser, &event)) {
      ok   = 0;
      line = parser.problem_mark.line + 1;
      (void)PetscStrncpy(problem, parser.problem ? parser.problem : "syntax error", sizeof(problem));
      break;
    }
    done = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  PetscCheck(ok, PETSC_COMM_SELF, PETSC_ERR_USER, "deck %s:%zu: YAML: %s", path, line, problem);
  PetscFunctionReturn(0);
}

PetscErrorCode GepDeckCheckText(const char path[], const char text[], size_t n, PetscBool yaml)
{
  const char *nul = memchr(text, 0, n);
  size_t      line = 1;

  PetscFunctionBegin;
  PetscCheck(n > 0, PETSC_COMM_SELF, PETSC_ERR_USER, "deck %s: the file is empty", path);
  if (nul) {
    for (const char *c = text; c < nul; c++) line += *c == '\n';
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER, "deck %s:%zu: not a text file (a NUL byte)", path, line);
  }
  if (yaml) PetscCall(CheckYAML(path, text, n));
  PetscFunctionReturn(0);
}
