/* gepsim: GepGNN — graph neural network classifiers of multi-omics samples
 * (MOGONET class). Per view, an encoder of graph convolutions over the view's
 * sample-similarity graph and a linear classifier; the views fused by a View
 * Correlation Discovery Network (VCDN). Or a linear model with no graph layers
 * (logistic regression on the standardised, concatenated views), fitted by Tao.
 * Samples (graph nodes) are spread over the ranks in contiguous blocks;
 * weights are replicated and their gradients summed with one allreduce per
 * layer, so any number of ranks gives the same model to rounding.
 *
 * Data in MOGONET's layout: per view a training and a test table (headerless
 * CSV, samples x features), feature names (one per line), and labels
 * (one class 0..C-1 per line; with -gnn_loss mse a real target, a regression
 * with one output) for each split.
 *
 * Options (prefix -gnn_): see docs/deck-reference.md. */
#pragma once
#include <petscsys.h>

typedef struct _p_GepGNN *GepGNN;

/* A PETSc object (class GEPGNN_CLASSID): reference counted, options prefix, -gnn_view. */
PETSC_EXTERN PetscClassId   GEPGNN_CLASSID;
PETSC_EXTERN PetscErrorCode GepGNNInitializePackage(void);
PETSC_EXTERN PetscErrorCode GepGNNViewFromOptions(GepGNN, PetscObject, const char[]);
PETSC_EXTERN PetscErrorCode GepGNNSetOptionsPrefix(GepGNN, const char[]);
/* the model, a type registered by name: mogonet, feature, linear (-gnn_model) */
PETSC_EXTERN PetscErrorCode GepGNNSetType(GepGNN, const char[]);
PETSC_EXTERN PetscErrorCode GepGNNGetType(GepGNN, const char **);
PETSC_EXTERN PetscErrorCode GepGNNRegister(const char[], PetscErrorCode (*)(GepGNN));

PETSC_EXTERN PetscErrorCode GepGNNCreate(MPI_Comm, GepGNN *);
PETSC_EXTERN PetscErrorCode GepGNNSetSeed(GepGNN, PetscInt);
PETSC_EXTERN PetscErrorCode GepGNNSetFromOptions(GepGNN);
/* reads the data, builds the graphs, initialises the weights */
PETSC_EXTERN PetscErrorCode GepGNNSetUp(GepGNN);
PETSC_EXTERN PetscErrorCode GepGNNView(GepGNN, PetscViewer);
/* trains on the training split (with progress lines every -gnn_monitor_interval epochs) */
PETSC_EXTERN PetscErrorCode GepGNNTrain(GepGNN);
/* the weights of a trained model from a gepsim train output (the deck's shapes) */
PETSC_EXTERN PetscErrorCode GepGNNLoad(GepGNN, const char path[]);
/* class probabilities of the test split (Ntest x C, row-major, on every rank); regression: the predicted values (Ntest)
 */
PETSC_EXTERN PetscErrorCode GepGNNPredict(GepGNN, const PetscReal **prob);
/* Classification scores as scikit-learn computes them. f1: for two classes the
   F1 of class 1 (scikit-learn's default, MOGONET's "F1"), else the weighted F1. */
typedef struct {
  PetscReal acc, f1, f1_weighted, f1_macro, auc; /* auc: two classes only, else NaN */
} GepClassifierScores;
/* Regression scores (-gnn_loss mse): root mean squared error, mean absolute error,
   R^2 (1 - SSE / SST, scikit-learn's r2_score) and Pearson's r. */
typedef struct {
  PetscReal rmse, mae, r2, r;
} GepRegressionScores;
PETSC_EXTERN PetscErrorCode GepRegressionScore(PetscInt n, const PetscReal pred[], const PetscReal target[],
                                               GepRegressionScores *);
/* whether the test split has labels (or targets): scores and ablation need them */
PETSC_EXTERN PetscErrorCode GepGNNHasTestLabels(GepGNN, PetscBool *);
/* the scores of the last prediction as one line "PREFIX: test ACC ..." (or "test RMSE ..." for regression), nothing
 * without test labels */
PETSC_EXTERN PetscErrorCode GepGNNViewScores(GepGNN, PetscViewer, const char prefix[]);
/* feature importance per view on the test split (-gnn_importance: gradient x input, MOGONET's ablation, both) */
PETSC_EXTERN PetscErrorCode GepGNNComputeImportance(GepGNN);
/* the indices of the n most important features of view m (ablation or gradient x input) */
PETSC_EXTERN PetscErrorCode GepGNNTopFeatures(GepGNN, PetscInt m, PetscBool ablation, PetscInt n, PetscInt top[]);
/* view m: its name, its feature names (D of them) and, after GepGNNComputeImportance, the gradient x input
   importance of each feature (NULL if not computed) */
PETSC_EXTERN PetscErrorCode GepGNNGetView(GepGNN, PetscInt m, const char **name, PetscInt *D,
                                          const char *const **features, const PetscReal **gradient_importance);
PETSC_EXTERN PetscErrorCode GepGNNGetNumViews(GepGNN, PetscInt *);
/* after set-up: the training and test samples; the test samples' log-likelihood under the current weights (the
   sum of each one's log-probability of its class, or for a regression of its output as a z-score), collective */
PETSC_EXTERN PetscErrorCode GepGNNGetSizes(GepGNN, PetscInt *Ntrain, PetscInt *Ntest);
PETSC_EXTERN PetscErrorCode GepGNNTestLogLikelihood(GepGNN, PetscReal *);
/* prints the top -gnn_importance_top features of every view with their names */
PETSC_EXTERN PetscErrorCode GepGNNViewImportance(GepGNN, PetscViewer);
/* predictions, metrics, training curves and the model to HDF5 (docs/formats.md); CSV of the predictions beside it */
PETSC_EXTERN PetscErrorCode GepGNNWrite(GepGNN, const char path[]);
/* BASE-training.svg: loss and test metrics per epoch */
PETSC_EXTERN PetscErrorCode GepGNNWriteFigures(GepGNN, const char base[]);
PETSC_EXTERN PetscErrorCode GepGNNDestroy(GepGNN *);

/* Scores of n predictions (prob n x C row-major, true labels y). */
PETSC_EXTERN PetscErrorCode GepClassifierScore(PetscInt n, PetscInt C, const PetscReal prob[], const PetscInt y[],
                                               GepClassifierScores *);
