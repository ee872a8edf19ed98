;;; emacs_check.el --- what the README's eglot configuration does in a real Emacs  -*- lexical-binding: t -*-
;; Loaded after the README's block: opens Cargo.toml (no server may start), then
;; team.ai-strategy.toml and ai-strategy.toml (served), waits for the diagnostics, asks a hover,
;; the code actions on AIS004, then runs the README's `ai-strategy-fix-all'.  Writes what it saw
;; as JSON to $AI_STRATEGY_OUT.  Inputs: AI_STRATEGY_FILE, AI_STRATEGY_NAMED, AI_STRATEGY_OTHER.

(require 'json)
(require 'flymake)

(defvar check-result (list (cons 'errors nil)))

(defun check-put (key value)
  (setq check-result (cons (cons key value) check-result)))

(defun check-error (message)
  (setcdr (assq 'errors check-result) (cons message (cdr (assq 'errors check-result)))))

(defun check-visit (file)
  "Visit FILE as a user does: the command, then the command loop's post-command hook."
  (find-file file)
  (run-hooks 'post-command-hook)
  (current-buffer))

(defun check-wait (predicate seconds)
  "Let the server talk until PREDICATE holds or SECONDS pass; return PREDICATE's value.
Each turn ends as a turn of the command loop does on a screen: `post-command-hook', then
`window-configuration-change-hook' (flymake starts its first check of a buffer once the
buffer is displayed, which batch Emacs never announces)."
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (run-hooks 'post-command-hook)
      (run-hooks 'window-configuration-change-hook))
    value))

(defun check-eglot-processes ()
  "The language server processes eglot started (not their stderr pipes)."
  (seq-filter (lambda (process)
                (and (string-prefix-p "EGLOT" (process-name process))
                     (not (string-suffix-p " stderr" (process-name process)))))
              (process-list)))

(defun check-diagnostic-codes ()
  (mapcar (lambda (diagnostic)
            (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diagnostic)))))
              (plist-get lsp :code)))
          (flymake-diagnostics)))

(defun check-run ()
  (let ((other (check-visit (getenv "AI_STRATEGY_OTHER"))))
    (check-put 'other_mode (symbol-name (buffer-local-value 'major-mode other)))
    (check-put 'processes_after_other (length (check-eglot-processes)))
    (check-visit (getenv "AI_STRATEGY_NAMED"))
    (check-put 'named_managed (if (check-wait #'eglot-managed-p 30) t :json-false))
    (check-visit (getenv "AI_STRATEGY_FILE"))
    (check-put 'managed (if (check-wait #'eglot-managed-p 30) t :json-false))
    (check-put 'processes (length (check-eglot-processes)))
    (with-current-buffer other
      (check-put 'other_managed (if (eglot-managed-p) t :json-false)))
    (unless (check-wait (lambda () (member "AIS004" (check-diagnostic-codes))) 30)
      (error "no AIS004 diagnostic within 30 s: %S" (check-diagnostic-codes)))
    (check-put 'diagnostics (vconcat (check-diagnostic-codes)))
    (let* ((server (eglot-current-server))
           (uri (concat "file://" (expand-file-name buffer-file-name)))
           (hover (jsonrpc-request server :textDocument/hover
                                   (list :textDocument (list :uri uri)
                                         :position (list :line 10 :character 2)))))
      (check-put 'hover (plist-get (plist-get hover :contents) :value)))
    (goto-char (point-min))
    (search-forward "\"qaa\"")
    (let ((actions (eglot-code-actions (match-beginning 0) (match-end 0))))
      (check-put 'actions (vconcat (mapcar (lambda (a) (plist-get a :title)) actions))))
    (ai-strategy-fix-all)
    (check-put 'line_after_fix_all
               (progn (goto-char (point-min))
                      (forward-line 6)
                      (buffer-substring-no-properties (line-beginning-position) (line-end-position))))))

(condition-case err
    (check-run)
  (error (check-error (error-message-string err))))
(with-temp-file (getenv "AI_STRATEGY_OUT")
  (insert (json-encode check-result)))
(kill-emacs 0)
